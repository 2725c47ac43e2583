import type { Migration } from '../../kernel/database.js'

/**
 * Zendesk's tables. Every row is keyed by its account and goes with it. The unique indexes
 * make "one active user per external_id" and "one owner per identity value (email, phone, …)"
 * facts of the database, not hopes of the code: a race that got past the lookup would still fail.
 * `*_key` columns hold the case-folded value the lookups and the uniqueness use.
 */
export const zendeskMigrations: Migration[] = [
  {
    id: 'zendesk/001-users',
    sql: `
      CREATE TABLE zendesk_organizations (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE UNIQUE INDEX zendesk_organizations_name ON zendesk_organizations (account_id, name_key);

      CREATE TABLE zendesk_users (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        email TEXT,
        external_id TEXT,
        external_id_key TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        iana_time_zone TEXT NOT NULL,
        phone TEXT,
        shared_phone_number INTEGER,
        locale_id INTEGER NOT NULL,
        locale TEXT NOT NULL,
        organization_id INTEGER,
        role TEXT NOT NULL,
        verified INTEGER NOT NULL,
        tags TEXT NOT NULL,
        alias TEXT,
        active INTEGER NOT NULL,
        signature TEXT,
        details TEXT,
        notes TEXT,
        role_type INTEGER,
        custom_role_id INTEGER,
        moderator INTEGER NOT NULL,
        ticket_restriction TEXT,
        only_private_comments INTEGER NOT NULL,
        restricted_agent INTEGER NOT NULL,
        suspended INTEGER NOT NULL,
        default_group_id INTEGER,
        user_fields TEXT NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE UNIQUE INDEX zendesk_users_external_id ON zendesk_users (account_id, external_id_key)
        WHERE external_id_key IS NOT NULL;

      CREATE TABLE zendesk_identities (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        value_key TEXT NOT NULL,
        verified INTEGER NOT NULL,
        is_primary INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (account_id, id),
        FOREIGN KEY (account_id, user_id) REFERENCES zendesk_users (account_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE UNIQUE INDEX zendesk_identities_value ON zendesk_identities (account_id, type, value_key);
      CREATE INDEX zendesk_identities_user ON zendesk_identities (account_id, user_id);

      CREATE TABLE zendesk_jobs (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        total INTEGER NOT NULL,
        payload TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        completes_ms INTEGER NOT NULL,
        results TEXT,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE INDEX zendesk_jobs_pending ON zendesk_jobs (account_id, completes_ms) WHERE results IS NULL;
    `
  },
  // Issue 13 point 4: the account's user field definitions (options as JSON, ids from their own sequence).
  {
    id: 'zendesk/002-user-fields',
    sql: `
      CREATE TABLE zendesk_user_fields (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        type TEXT NOT NULL,
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        position INTEGER NOT NULL,
        active INTEGER NOT NULL,
        regexp_for_validation TEXT,
        tag TEXT,
        options TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE UNIQUE INDEX zendesk_user_fields_key ON zendesk_user_fields (account_id, key);
    `
  }
]
