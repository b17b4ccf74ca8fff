environment = "dev"
location    = "westeurope"
