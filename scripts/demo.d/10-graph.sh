# Load the three example reviews into the embedded graph (FalkorDB, started by dhrkg itself
# in a demo data directory) and ask the questions reviews ask.
export DHRKG_DATA_DIR="${DHRKG_DATA_DIR:-$OUT/data}"
step "Load the example reviews into the embedded graph (FalkorDB, data in $DHRKG_DATA_DIR)" \
  "dhrkg load examples/*.yaml"
step "Loading again changes nothing" "dhrkg load -q examples/*.yaml && dhrkg stats"
step "The perpetrator's previous partners, and who recorded what about them (example 001)" \
  "dhrkg run prior-partners north-worcs-dhr-7/Perpetrator"
step "His and the victim's history outside the force area of the homicide (CSV, with paragraph refs)" \
  "dhrkg run cross-area-history north-worcs-dhr-7 --format csv > $OUT/cross-area-history-001.csv && echo \"\$(( \$(wc -l < $OUT/cross-area-history-001.csv) - 1 )) incidents and contacts outside West Mercia: $OUT/cross-area-history-001.csv\""
step "Agencies that saw both victim and perpetrator" \
  "dhrkg run agencies-saw-both north-worcs-dhr-7 --format csv > $OUT/agencies-saw-both-001.csv && echo \"\$(grep -c '^saw both' $OUT/agencies-saw-both-001.csv) agencies saw both; their evidence, and the pairs that never shared: $OUT/agencies-saw-both-001.csv\""
step "Your own Cypher, read-only" \
  "dhrkg cypher 'MATCH (e:Event)-[:RECORDED_BY]->(a:Agency) RETURN a.name AS agency, count(e) AS events ORDER BY events DESC, agency LIMIT 5'"
step "Writes are refused" "dhrkg cypher 'MATCH (n) DETACH DELETE n' || true"
