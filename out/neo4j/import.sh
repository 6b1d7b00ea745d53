#!/bin/sh
# newsgraph 0.1.0: bulk import of nodes.csv and relationships.csv with neo4j-admin (Neo4j 5).
#
# Usage: sh import.sh [DATABASE]        (DATABASE defaults to neo4j)
#
#   1. Stop the server: neo4j stop
#   2. Run this script as the user that owns the Neo4j data directory, with neo4j-admin on the
#      PATH (or NEO4J_ADMIN=/path/to/neo4j-admin sh import.sh). It REPLACES the database
#      DATABASE (--overwrite-destination) with the contents of the two CSV files.
#   3. Start the server: neo4j start. With Neo4j Community the database must be the default
#      one (neo4j); with Enterprise, create a new one first: CREATE DATABASE news.
#   4. Optional: create the uniqueness constraint at the top of load.cypher:
#      cypher-shell -d DATABASE "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
#
# Lists (aliases, sources, labels) are ';'-separated, as the CSV headers declare (string[]).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
database=${1:-neo4j}
exec "${NEO4J_ADMIN:-neo4j-admin}" database import full \
  --nodes="$here/nodes.csv" \
  --relationships="$here/relationships.csv" \
  --array-delimiter=';' \
  --overwrite-destination \
  "$database"
