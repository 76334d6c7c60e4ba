-- Routers LISTEN on channel "switchyard_config" and reload their in-memory snapshot when configuration changes.
-- Statement-level triggers: one notification per statement (Postgres also folds identical notifications within a
-- transaction), payload = the table that changed. Delivered on commit only.
CREATE OR REPLACE FUNCTION "switchyard_notify_config_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('switchyard_config', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

-- api_keys: every column except last_used_at, which the router's usage sink bumps on every flush and which is not
-- configuration (a reload per flush would be pure churn). New columns must be added to this list.
CREATE TRIGGER "api_keys_notify_config_change"
AFTER INSERT OR DELETE OR TRUNCATE ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "api_keys_notify_config_update"
AFTER UPDATE OF "id", "name", "digest", "prefix", "team_id", "owner_id", "environment", "tags", "allowed_models",
  "expires_at", "revoked_at", "created_at" ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "providers_notify_config_change"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "providers"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "upstream_accounts_notify_config_change"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "upstream_accounts"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "routes_notify_config_change"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "routes"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "route_targets_notify_config_change"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "route_targets"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "prices_notify_config_change"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "prices"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();
