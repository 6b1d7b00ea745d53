// newsgraph 0.1.0: load nodes.csv and relationships.csv (copy them into Neo4j's import directory).
// Neo4j 5 Cypher, no plugins. Nodes are merged on id and relationships on rel_id, so running the
// script again changes nothing and parallel relationships of different types are all kept.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
CALL {
  WITH row
  MERGE (n:Entity {id: row.`id:ID(Entity)`})
  SET n.name = row.name, n.kind = row.kind,
      n.aliases = split(row.`aliases:string[]`, ';'),
      n.sources = split(row.`sources:string[]`, ';'),
      n.source_count = toInteger(row.`source_count:int`),
      n.mention_count = toInteger(row.`mention_count:int`),
      n.country = row.country, n.lat = toFloat(row.`lat:double`), n.lon = toFloat(row.`lon:double`),
      n.geonames_id = toInteger(row.`geonames_id:long`),
      n.date = row.date, n.date_source_json = row.date_source_json, n.place = row.place,
      n.method = row.method, n.killed_json = row.killed_json, n.injured_json = row.injured_json,
      n.responsibility = row.responsibility, n.perpetrators_json = row.perpetrators_json,
      n.claimed_via = split(row.`claimed_via:string[]`, ';')
  FOREACH (_ IN CASE WHEN row.kind = 'attack' THEN [1] ELSE [] END | SET n:Attack)
  FOREACH (_ IN CASE WHEN row.kind = 'document' THEN [1] ELSE [] END | SET n:Document)
  FOREACH (_ IN CASE WHEN row.kind = 'group' THEN [1] ELSE [] END | SET n:Group)
  FOREACH (_ IN CASE WHEN row.kind = 'person' THEN [1] ELSE [] END | SET n:Person)
  FOREACH (_ IN CASE WHEN row.kind = 'place' THEN [1] ELSE [] END | SET n:Place)
} IN TRANSACTIONS OF 10000 ROWS;

// One statement per relationship type (a type cannot be a parameter before Neo4j 5.26).
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'BRANCH_OF'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:BRANCH_OF {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'CLAIMED_RESPONSIBILITY'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:CLAIMED_RESPONSIBILITY {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'CLAIMED_VIA'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:CLAIMED_VIA {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'CO_OCCURS'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:CO_OCCURS {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'FOUNDED_BY'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:FOUNDED_BY {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LEADS'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:LEADS {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LOCATED_IN'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:LOCATED_IN {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'MEMBER_OF'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:MEMBER_OF {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'OCCURRED_IN'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:OCCURRED_IN {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'OPERATES_IN'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:OPERATES_IN {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'PERPETRATED'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:PERPETRATED {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'SUSPECTED_OF'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:SUSPECTED_OF {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'TARGETED'
CALL {
  WITH row
  MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})
  MERGE (a)-[r:TARGETED {rel_id: row.rel_id}]->(b)
  SET r.weight = toFloat(row.`weight:double`), r.sources = split(row.`sources:string[]`, ';'),
      r.source_count = toInteger(row.`source_count:int`), r.evidence_json = row.evidence_json
} IN TRANSACTIONS OF 10000 ROWS;

// An export holds the whole graph (a later batch's export includes the earlier ones): stamp what
// it holds, then delete what an earlier load left that it no longer has (nodes joined into others,
// listed in report.json's redirects, and relationships whose ends moved).
LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
CALL {
  WITH row
  MATCH (n:Entity {id: row.`id:ID(Entity)`})
  SET n.newsgraph_export = 'g-89582534a0c9440b'
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
CALL {
  WITH row
  MATCH (:Entity {id: row.`:START_ID(Entity)`})-[r {rel_id: row.rel_id}]->(:Entity {id: row.`:END_ID(Entity)`})
  SET r.newsgraph_export = 'g-89582534a0c9440b'
} IN TRANSACTIONS OF 10000 ROWS;

MATCH (n:Entity) WHERE n.newsgraph_export <> 'g-89582534a0c9440b'
CALL {
  WITH n
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS;

MATCH (:Entity)-[r]->(:Entity) WHERE r.newsgraph_export <> 'g-89582534a0c9440b'
CALL {
  WITH r
  DELETE r
} IN TRANSACTIONS OF 10000 ROWS;
