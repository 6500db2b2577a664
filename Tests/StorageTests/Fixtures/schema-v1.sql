-- A store as the first Charley with a store (schema v1-sessions) left it: one table, states
-- in the JSON of that time. Loaded by StorageTests to check the migration to the current schema.
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
INSERT INTO grdb_migrations VALUES ('v1-sessions');
CREATE TABLE session (
    id TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,
    updated REAL NOT NULL
);
-- A state of that time: no 'reasked', 'undo' or 'turns' yet.
INSERT INTO session VALUES ('old:1',
  '{"stage":"onset","findings":{"present":["location:calf","side:left","timing:night"],"absent":[]},"asked":["timing","location","side"],"pending":"duration","redFlags":[]}',
  1790000000);
-- A stage that no longer exists.
INSERT INTO session VALUES ('old:2',
  '{"stage":"intake","findings":{"present":[],"absent":[]},"asked":[],"redFlags":[]}',
  1790000100);
-- A finding the knowledge model has since dropped.
INSERT INTO session VALUES ('old:3',
  '{"stage":"triggers","findings":{"present":["location:calf","trigger:old_trigger_id"],"absent":[]},"asked":["timing"],"pending":"triggers","redFlags":[]}',
  1790000200);
-- Not JSON at all.
INSERT INTO session VALUES ('old:4', 'garbage', 1790000300);
