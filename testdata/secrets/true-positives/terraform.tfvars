environment = "prod"
region      = "eu-west-1"
db_password = "CiI3w9-4BP5nC!"
