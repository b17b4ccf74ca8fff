owner_email   = "platform@acme.io"
db_host       = "orders.cluster-abc123.us-east-1.rds.amazonaws.com"
token_issuer  = "https://token.actions.githubusercontent.com"
