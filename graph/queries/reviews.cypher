// name: reviews
// title: The reviews loaded in the graph
// category: review
// scope: national
// question: Which reviews are loaded, where and when did each homicide happen, and how much does each hold?
// period: >
//   Not dated: counts over each review's whole record.
// columns:
//   review: review id
//   title: the report's title
//   police_force_area: force area of the homicide
//   homicide_date: date of the homicide
//   persons: number of people
//   events: number of chronology events
//   agencies: number of agencies
// example: dhrkg run reviews
MATCH (r:Review)
RETURN r.id AS review,
       r.title AS title,
       r.police_force_area AS police_force_area,
       r.homicide_date AS homicide_date,
       size([(r)<-[:PART_OF]-(p:Person) | p]) AS persons,
       size([(r)<-[:PART_OF]-(e:Event) | e]) AS events,
       size([(r)<-[:PART_OF]-(ag:Agency) | ag]) AS agencies
ORDER BY review
