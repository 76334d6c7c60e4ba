-- CreateTable
CREATE TABLE "config_version" (
    "id" INTEGER NOT NULL,
    "version" BIGINT NOT NULL,

    CONSTRAINT "config_version_pkey" PRIMARY KEY ("id")
);

INSERT INTO "config_version" ("id", "version") VALUES (1, 1);

-- Every configuration change moves the version forward in its own transaction, so a router can compare the
-- version its snapshot was read at (in the snapshot's transaction) with the current one and skip reloading
-- everything when nothing changed. The bump runs BEFORE each statement: a configuration transaction then takes
-- this one row lock before any row lock of a configuration table, so two of them cannot deadlock over it (they
-- queue on it instead; configuration writes are rare and short).
CREATE OR REPLACE FUNCTION "switchyard_bump_config_version"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "config_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

-- The same tables and columns as the notify triggers (20261122045220_config_notify, 20261201203102_billing):
-- api_keys' last_used_at, bumped by every usage flush, is not configuration. New columns go in both lists.
CREATE TRIGGER "api_keys_bump_config_version"
BEFORE INSERT OR DELETE OR TRUNCATE ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "api_keys_bump_config_version_update"
BEFORE UPDATE OF "id", "name", "digest", "prefix", "team_id", "owner_id", "environment", "tags", "allowed_models",
  "expires_at", "revoked_at", "created_at", "default_traffic_class", "allowed_traffic_classes",
  "rpm_limit", "tpm_limit" ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "providers_bump_config_version"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "providers"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "upstream_accounts_bump_config_version"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "upstream_accounts"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "routes_bump_config_version"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "routes"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "route_targets_bump_config_version"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "route_targets"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "prices_bump_config_version"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "prices"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "teams_bump_config_version"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "teams"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();

CREATE TRIGGER "budgets_bump_config_version"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "budgets"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_bump_config_version"();
