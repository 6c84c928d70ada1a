"""What tests read and drive: API client, database and mail readers, polling, the clock."""
