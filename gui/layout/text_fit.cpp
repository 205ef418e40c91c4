#include "layout/text_fit.hpp"

#include <algorithm>
#include <cmath>

namespace vigil::dashboard::layout {

namespace {

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) words.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return words;
}

// A word too wide for a line, split after its hyphens or slashes into pieces that fit
// (each piece keeps its joint character, so the reader sees where it was joined).
std::vector<std::string> split_at_joints(const Measure& measure, const std::string& word, float px,
                                         float width) {
  std::vector<std::string> pieces;
  std::string current;
  std::size_t start = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] != '-' && word[i] != '/' && i + 1 != word.size()) continue;
    const std::string part = word.substr(start, i + 1 - start);
    if (!current.empty() && measure(px, current + part) > width) {
      pieces.push_back(current);
      current.clear();
    }
    current += part;
    start = i + 1;
  }
  if (!current.empty()) pieces.push_back(current);
  return pieces;
}

// Next smaller size to try: about 6 % smaller, at least one pixel.
float smaller(float px) { return std::min(px - 1.0f, std::floor(px * 0.94f)); }

}  // namespace

std::string abbreviate(std::string_view text, const std::vector<Abbreviation>& rules) {
  std::string out(text);
  for (const auto& [from, to] : rules) {
    if (from.empty()) continue;
    std::size_t at = 0;
    while ((at = out.find(from, at)) != std::string::npos) {
      const bool starts = at == 0 || out[at - 1] == ' ';
      const std::size_t end = at + from.size();
      const bool ends = end == out.size() || out[end] == ' ';
      if (starts && ends) {
        out.replace(at, from.size(), to);
        at += to.size();
      } else {
        at = end;
      }
    }
  }
  // A rule that removes a word leaves two spaces; one is enough.
  std::string squeezed;
  for (char c : out)
    if (!(c == ' ' && !squeezed.empty() && squeezed.back() == ' ')) squeezed += c;
  while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
  return squeezed;
}

std::vector<std::string> wrap_words(const Measure& measure, std::string_view text, float px, float width) {
  std::vector<std::string> lines;
  std::string line;
  for (const std::string& word : split_words(text)) {
    std::vector<std::string> pieces{word};
    if (measure(px, word) > width) pieces = split_at_joints(measure, word, px, width);
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      // Pieces of one split word join without a space; words join with one.
      const std::string joined = line.empty() ? pieces[k] : line + (k == 0 ? " " : "") + pieces[k];
      if (!line.empty() && measure(px, joined) > width) {
        lines.push_back(line);
        line = pieces[k];
      } else {
        line = joined;
      }
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

TextBlock fit_text(const Measure& measure, std::string_view text, Rect box, const FitRequest& request) {
  TextBlock block;
  block.box = box;
  block.px = request.max_px;
  if (text.empty()) return block;
  // The candidates in order of preference: the text as is, then each abbreviation step.
  std::vector<std::string> variants{std::string(text)};
  for (std::size_t i = 0; i < request.abbreviations.size(); ++i) {
    std::vector<Abbreviation> upto(request.abbreviations.begin(),
                                   request.abbreviations.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    std::string v = abbreviate(text, upto);
    if (v != variants.back()) variants.push_back(std::move(v));
  }
  for (const auto& v : request.shorter)
    if (!v.empty() && v != variants.back()) variants.push_back(v);
  auto widest = [&](const std::vector<std::string>& lines, float px) {
    float w = 0;
    for (const auto& l : lines) w = std::max(w, measure(px, l));
    return w;
  };
  const float min_px = std::min(request.min_px, request.max_px);
  std::vector<std::string> last;
  float px = request.max_px;
  for (;;) {
    const int lines_here = std::max(1, std::min(request.max_lines, static_cast<int>(box.h / px)));
    // One line: the text, then its abbreviations.
    for (const auto& v : variants) {
      if (px <= box.h && measure(px, v) <= box.w) {
        block.px = px;
        block.lines = {v};
        block.width = measure(px, v);
        return block;
      }
    }
    // Wrapped: the text, then its abbreviations.
    for (const auto& v : variants) {
      auto lines = wrap_words(measure, v, px, box.w);
      const float w = widest(lines, px);
      if (static_cast<int>(lines.size()) <= lines_here && w <= box.w &&
          px * static_cast<float>(lines.size()) <= box.h) {
        block.px = px;
        block.lines = std::move(lines);
        block.width = w;
        return block;
      }
      last = std::move(lines);
    }
    if (px <= min_px) break;
    px = std::max(min_px, smaller(px));
  }
  // Nothing fits: whole words at the smallest size (most abbreviated), flagged.
  block.px = min_px;
  block.lines = wrap_words(measure, variants.back(), min_px, box.w);
  block.width = widest(block.lines, min_px);
  block.fits = false;
  return block;
}

float largest_single_line(const Measure& measure, std::string_view text, float width, float min_px,
                          float max_px) {
  for (float px = max_px; px > min_px; px = smaller(px))
    if (measure(px, text) <= width) return px;
  return min_px;
}

}  // namespace vigil::dashboard::layout
