# Draft a case file from a report: the invented review shipped in examples/ (its own text,
# in the usual DHR report structure), then check the draft and see what it found.
step "Draft a case file from a DHR report (every record points at its paragraphs)" \
  "dhrkg extract examples/report-brackenford.txt -o $OUT/draft-brackenford.yaml --force && dhrkg validate $OUT/draft-brackenford.yaml"
step "What the draft says, before a person checks it against the report" \
  "dhrkg summary $OUT/draft-brackenford.yaml"
