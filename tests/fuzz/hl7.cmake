# fuzz targets: hl7
