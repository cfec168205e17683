-- A lease names its holder, so a worker only renews or releases the lease it took.
ALTER TABLE feeds ADD COLUMN lease_owner TEXT;
