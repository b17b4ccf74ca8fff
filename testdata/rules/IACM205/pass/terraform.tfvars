environment   = "prod"
db_password   = "changeme"
api_token     = ""
token_ttl     = "1h"
