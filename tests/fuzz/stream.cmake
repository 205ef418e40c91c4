# fuzz targets: stream
