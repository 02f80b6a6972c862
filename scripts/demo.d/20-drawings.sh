# Drawings a chair can paste into a report.
step "Genogram of a review (SVG, and a publication-mode PDF with no names or dates of birth)" \
  "dhrkg genogram examples/001_24bc3f827734f2c4.yaml -o $OUT/genogram-001.svg --force && dhrkg genogram north-worcs-dhr-7 --publication -o $OUT/genogram-001-publication.pdf --force"
step "Contact network: who knew what" \
  "dhrkg network examples/001_24bc3f827734f2c4.yaml -o $OUT/network-001.svg --force"
step "Chronology timeline, one lane per agency" \
  "dhrkg timeline examples/001_24bc3f827734f2c4.yaml -o $OUT/timeline-001.png --force"
