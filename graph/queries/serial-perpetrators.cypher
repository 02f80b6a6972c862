// name: serial-perpetrators
// title: People who abused two or more partners
// category: missed links
// scope: national
// question: >
//   Who is recorded as abusing two or more of their partners (by an abuse relationship or an
//   incident naming them as perpetrator and the partner as victim), across all loaded reviews,
//   and in which police force areas and years?
// parameters:
//   min_partners: {type: integer, default: 2, description: how many abused partners make a pattern}
//   before_homicide: {type: boolean, default: false, description: "count only abuse on record before the homicide of the person's review: what agencies could have known"}
// period: >
//   The whole record, before and after the homicide, the homicide included (an abuse
//   relationship or an incident naming the partner as victim, whenever recorded). With --param
//   before_homicide=true: before the homicide of the person's review (its homicide date, its
//   homicide event or the death of one of its victims, whichever is earliest; an event whose
//   partial date spans it counts unless it is a step that follows a homicide: arrest, charge,
//   court, conviction, sentence, custody, the review's own steps; an abuse relationship counts
//   unless it starts on or after that day); a review with none of these dates is not bounded.
// columns:
//   perpetrator: person key
//   name: name or pseudonym
//   review: the review the person belongs to
//   partners_abused: how many partners they abused
//   victims: for each partner (key, abuse kinds, first and last date, incident ids, source paragraphs)
//   force_areas: police force areas of the incidents
//   first: earliest date of abuse recorded
//   last: latest date of abuse recorded
// example: dhrkg run serial-perpetrators --param min_partners=2
// notes: >
//   People are matched within a review: the same person in two reviews is two people here, each
//   counted with the partners of their own review (dhrkg link resolves agency records, not the
//   people of reviews; for suspects across force areas see linked-serial-perpetrators). A
//   partner whose only recorded abuse is the homicide counts.
MATCH (a:Person)
WHERE a.abused_partners >= $min_partners
// the bound only with before_homicide (abused_partners counts the whole record, so it stays a
// prefilter: bounding can only take partners away)
MATCH (r:Review {key: a.review})
WITH a, CASE WHEN $before_homicide THEN coalesce(reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') ELSE '9999-12-31' END AS bound
MATCH (a)-[:PARTNER_OF]-(v:Person)
WHERE a <> v
WITH DISTINCT a, bound, v
WITH a, v,
     [(a)-[ab:ABUSED]->(v) WHERE ab.start_from IS NULL OR ab.start_from < bound | ab] AS rels,
     [(a)-[:INVOLVED {role: 'perpetrator'}]->(e:Event)<-[:INVOLVED {role: 'victim'}]-(v) WHERE (e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) | e] AS evs
WHERE size(rels) > 0 OR size(evs) > 0
UNWIND (CASE WHEN size(evs) = 0 THEN [NULL] ELSE evs END) AS e
WITH a, v, rels, e,
     CASE WHEN e IS NULL THEN NULL ELSE
       coalesce(head([(e)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
                head([(e)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) END AS area
ORDER BY a.key, v.key, e.date_from, e.id
WITH a, v, rels, collect(e) AS evs, collect(area) AS areas
WITH a, v, rels, evs, areas,
     [d IN [r IN rels | r.start_from] + [r IN rels | r.end_from] + [e IN evs | e.date_from] WHERE d IS NOT NULL] AS dates
WITH a, v, evs, areas, dates,
     reduce(acc = [], k IN reduce(all = [], r IN rels | all + coalesce(r.kinds, [])) + reduce(all = [], e IN evs | all + coalesce(e.abuse_kinds, [])) |
            CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS kinds,
     reduce(acc = [], s IN [r IN rels | r.source] | CASE WHEN s IS NULL OR s IN acc THEN acc ELSE acc + s END) AS rel_sources
ORDER BY a.key, v.key
WITH a,
     collect({partner: v.key, kinds: kinds,
              first: reduce(m = NULL, d IN dates | CASE WHEN m IS NULL OR d < m THEN d ELSE m END),
              last: reduce(m = NULL, d IN dates | CASE WHEN m IS NULL OR d > m THEN d ELSE m END),
              events: [e IN evs | e.id], source: rel_sources + [e IN evs | e.source]}) AS victims,
     collect(areas) AS area_lists,
     collect(dates) AS date_lists
WHERE size(victims) >= $min_partners
WITH a, victims,
     reduce(acc = [], x IN area_lists | acc + x) AS all_areas,
     reduce(acc = [], x IN date_lists | acc + x) AS all_dates
RETURN a.key AS perpetrator,
       a.name AS name,
       a.review AS review,
       size(victims) AS partners_abused,
       victims,
       reduce(acc = [], x IN all_areas | CASE WHEN x IS NULL OR x IN acc THEN acc ELSE [y IN acc WHERE y < x] + [x] + [y IN acc WHERE y > x] END) AS force_areas,
       reduce(m = NULL, d IN all_dates | CASE WHEN m IS NULL OR d < m THEN d ELSE m END) AS first,
       reduce(m = NULL, d IN all_dates | CASE WHEN m IS NULL OR d > m THEN d ELSE m END) AS last
ORDER BY partners_abused DESC, perpetrator
