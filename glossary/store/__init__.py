"""Storage: SQLAlchemy models, database/migrations, the service layer and read queries."""
