# Inputs besides the report: the integrated chronology spreadsheet and the national dataset.
step "Write the review's chronology as the spreadsheet panels work from" \
  "dhrkg export-chronology examples/001_24bc3f827734f2c4.yaml -o $OUT/chronology-001.xlsx --force"
step "...and read it back as events of the case file (then load it)" \
  "dhrkg import-chronology $OUT/chronology-001.xlsx --review examples/001_24bc3f827734f2c4.yaml --replace-events -o $OUT/case-001-from-chronology.yaml --force --graph"
step "Load the Domestic Homicide Review Dataset (647 published reviews, CC BY 4.0)" \
  "dhrkg import-dhrd"
step "Reviews by region" "dhrkg run dhrd-reviews-by-region"
step "Separation and stalking flags by relationship (a cross-tabulation the DHRD explorer cannot do)" \
  "dhrkg run dhrd-flags-by-relationship-and-region --param by_region=false"
