# Linked data for researchers: pseudonymised by construction.
step "Pseudonymised research export (Turtle), with the smallest group size of the quasi-identifiers" \
  "dhrkg export --format ttl --pseudonymise -o $OUT/research.ttl --force"
