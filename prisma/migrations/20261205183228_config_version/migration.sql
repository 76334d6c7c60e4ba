-- CreateTable
CREATE TABLE "config_version" (
    "id" INTEGER NOT NULL,
    "version" BIGINT NOT NULL,

    CONSTRAINT "config_version_pkey" PRIMARY KEY ("id")
);

INSERT INTO "config_version" ("id", "version") VALUES (1, 1);

-- The config-change trigger (20261122045220_config_notify) now also moves the version forward, in the changing
-- transaction, so a router can compare the version its snapshot was read at (in the snapshot's transaction) with
-- the current one and skip reloading everything when nothing changed. NOTIFY is still delivered on commit only.
CREATE OR REPLACE FUNCTION "switchyard_notify_config_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "config_version" SET "version" = "version" + 1 WHERE "id" = 1;
  PERFORM pg_notify('switchyard_config', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

-- The triggers fire BEFORE each statement now (they fired AFTER): a configuration transaction then takes the one
-- config_version row lock before any row lock of a configuration table, so two of them queue on it instead of
-- deadlocking over it. Configuration writes are rare and short. Same tables and columns as before: api_keys'
-- last_used_at, bumped by every usage flush, is not configuration; new columns go in this list.
DROP TRIGGER "api_keys_notify_config_change" ON "api_keys";
CREATE TRIGGER "api_keys_notify_config_change"
BEFORE INSERT OR DELETE OR TRUNCATE ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "api_keys_notify_config_update" ON "api_keys";
CREATE TRIGGER "api_keys_notify_config_update"
BEFORE UPDATE OF "id", "name", "digest", "prefix", "team_id", "owner_id", "environment", "tags", "allowed_models",
  "expires_at", "revoked_at", "created_at", "default_traffic_class", "allowed_traffic_classes",
  "rpm_limit", "tpm_limit" ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "providers_notify_config_change" ON "providers";
CREATE TRIGGER "providers_notify_config_change"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "providers"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "upstream_accounts_notify_config_change" ON "upstream_accounts";
CREATE TRIGGER "upstream_accounts_notify_config_change"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "upstream_accounts"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "routes_notify_config_change" ON "routes";
CREATE TRIGGER "routes_notify_config_change"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "routes"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "route_targets_notify_config_change" ON "route_targets";
CREATE TRIGGER "route_targets_notify_config_change"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "route_targets"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "prices_notify_config_change" ON "prices";
CREATE TRIGGER "prices_notify_config_change"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "prices"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "teams_notify_config_change" ON "teams";
CREATE TRIGGER "teams_notify_config_change"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "teams"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

DROP TRIGGER "budgets_notify_config_change" ON "budgets";
CREATE TRIGGER "budgets_notify_config_change"
BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "budgets"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();
