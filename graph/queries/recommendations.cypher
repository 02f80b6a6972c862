// name: recommendations
// title: A review's recommendations, by agency
// category: review
// question: What did the review recommend, to which agencies, at what scope?
// parameters:
//   review: {type: review, positional: true, description: the review id}
// period: >
//   Not dated: the review's recommendations (made after the homicide, by the review).
// columns:
//   recommendation: its id as numbered in the report
//   scope: single_agency, multi_agency or national
//   agencies: the agencies it is addressed to (none for a national or all-agency one)
//   text: the recommendation in short
//   source: paragraph refs
// example: dhrkg run recommendations north-worcs-dhr-7
MATCH (r:Review {key: $review})<-[:PART_OF]-(rec:Recommendation)
RETURN rec.id AS recommendation,
       rec.scope AS scope,
       reduce(acc = [], k IN [(rec)-[:ADDRESSED_TO]->(ag:Agency) | ag.name] | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS agencies,
       rec.text AS text,
       rec.source AS source
ORDER BY recommendation
