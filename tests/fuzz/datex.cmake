# fuzz targets: datex
