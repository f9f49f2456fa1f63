DROP FUNCTION oldest_transaction();
