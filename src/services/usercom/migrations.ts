import type { Migration } from '../../kernel/database.js'

/**
 * User.com's tables. Every row carries its account and goes with it; timestamps are integer
 * microseconds since the epoch (DRF renders microseconds), so they sort and compare as numbers.
 * The unique index on (account_id, user_id) makes "one user per custom id" a database fact;
 * SQLite treats NULLs as distinct, so users without a custom id do not collide.
 */
export const usercomMigrations: Migration[] = [
  {
    id: 'usercom/001-users',
    sql: `
      CREATE TABLE usercom_users (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        key TEXT NOT NULL,
        user_id TEXT,
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        city TEXT,
        region TEXT,
        country TEXT,
        timezone TEXT,
        phone_number TEXT,
        facebook_url TEXT,
        linkedin_url TEXT,
        twitter_url TEXT,
        google_url TEXT,
        gravatar_url TEXT,
        gender INTEGER NOT NULL DEFAULT 1,
        status INTEGER NOT NULL DEFAULT 1,
        score INTEGER NOT NULL DEFAULT 0,
        notifications INTEGER NOT NULL DEFAULT 1,
        unsubscribed INTEGER NOT NULL DEFAULT 0,
        assigned_to INTEGER,
        page_views INTEGER NOT NULL DEFAULT 0,
        os_type TEXT,
        browser TEXT,
        browser_language TEXT,
        resolution TEXT,
        last_ip TEXT,
        first_seen INTEGER,
        last_seen INTEGER,
        last_contacted INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE UNIQUE INDEX usercom_users_user_id ON usercom_users (account_id, user_id);
      CREATE UNIQUE INDEX usercom_users_key ON usercom_users (account_id, key);
      CREATE INDEX usercom_users_email ON usercom_users (account_id, email);
      CREATE INDEX usercom_users_phone ON usercom_users (account_id, phone_number);

      CREATE TABLE usercom_tags (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE UNIQUE INDEX usercom_tags_name ON usercom_tags (account_id, name);

      CREATE TABLE usercom_user_tags (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        tag_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (account_id, user_id, tag_id),
        FOREIGN KEY (account_id, user_id) REFERENCES usercom_users (account_id, id) ON DELETE CASCADE,
        FOREIGN KEY (account_id, tag_id) REFERENCES usercom_tags (account_id, id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE usercom_attributes (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        name_std TEXT NOT NULL,
        value_type TEXT NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE UNIQUE INDEX usercom_attributes_name_std ON usercom_attributes (account_id, name_std);
      CREATE INDEX usercom_attributes_name ON usercom_attributes (account_id, name);

      CREATE TABLE usercom_user_attributes (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        attribute_id INTEGER NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account_id, user_id, attribute_id),
        FOREIGN KEY (account_id, user_id) REFERENCES usercom_users (account_id, id) ON DELETE CASCADE,
        FOREIGN KEY (account_id, attribute_id) REFERENCES usercom_attributes (account_id, id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE usercom_companies (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        company_id TEXT,
        name TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT;
      CREATE UNIQUE INDEX usercom_companies_company_id ON usercom_companies (account_id, company_id);

      CREATE TABLE usercom_company_members (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        company_id INTEGER NOT NULL,
        member_since INTEGER NOT NULL,
        PRIMARY KEY (account_id, user_id, company_id),
        FOREIGN KEY (account_id, user_id) REFERENCES usercom_users (account_id, id) ON DELETE CASCADE,
        FOREIGN KEY (account_id, company_id) REFERENCES usercom_companies (account_id, id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
    `
  },
  {
    // Events (POST /users-by-id/{custom_id}/events/, /users/{id}/events/), and a covering index
    // for the e-mail lookups (`email__contains` & co.): a scan of (account, email, id) only; an
    // attribute's lookup by name in id order without touching the account's other attributes.
    id: 'usercom/002-events-and-email-lookups',
    sql: `
      CREATE TABLE usercom_events (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, id),
        FOREIGN KEY (account_id, user_id) REFERENCES usercom_users (account_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX usercom_events_user_name ON usercom_events (account_id, user_id, name);
      CREATE INDEX usercom_users_email_id ON usercom_users (account_id, email, id);
      CREATE INDEX usercom_attributes_name_id ON usercom_attributes (account_id, name, id);
    `
  }
]
