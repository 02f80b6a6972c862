// name: review-chronology
// title: The integrated chronology of a review
// category: chronology
// question: What is the review's combined chronology, optionally for one period or one agency?
// parameters:
//   review: {type: review, positional: true, description: the review id}
//   from: {type: date, required: false, description: only events on or after this date}
//   to: {type: date, required: false, description: only events on or before this date}
//   agency: {type: string, required: false, description: only events recorded by the agency with this id}
// period: >
//   The whole record, before and after the homicide: the review's integrated chronology, the
//   homicide and the review's own steps included.
// columns:
//   date: event date
//   event: event id
//   type: event type
//   agency: agency that recorded it
//   persons: people involved (ids within the review)
//   summary: what happened
//   source: paragraph refs
// example: dhrkg run review-chronology north-worcs-dhr-7 --param from=2014-01 --param to=2014-03
MATCH (r:Review {key: $review})<-[:PART_OF]-(e:Event)
WITH e
WHERE ($from IS NULL OR e.date_to >= $from_from) AND ($to IS NULL OR e.date_from <= $to_to)
  AND ($agency IS NULL OR (e)-[:RECORDED_BY]->(:Agency {id: $agency}))
RETURN e.date AS date,
       e.id AS event,
       e.type AS type,
       head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency,
       reduce(acc = [], k IN [(e)<-[:INVOLVED]-(o:Person) | o.id] |
              [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS persons,
       e.summary AS summary,
       e.source AS source
ORDER BY e.date_from, e.date_to, event
