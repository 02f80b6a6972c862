# Draft a case file from a published report, then score it against the hand-made one.
if [ -f ../shared/seeds/001_24bc3f827734f2c4.txt ]; then
  step "Draft a case file from a published report (every record points at its paragraphs)" \
    "dhrkg extract ../shared/seeds/001_24bc3f827734f2c4.txt -o $OUT/draft-001.yaml && dhrkg validate $OUT/draft-001.yaml"
  step "How close the draft is to the hand-made case file" \
    "dhrkg score-extract $OUT/draft-001.yaml examples/001_24bc3f827734f2c4.yaml"
fi
