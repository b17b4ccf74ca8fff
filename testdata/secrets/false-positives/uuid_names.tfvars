subscription_id = "7d529975-dcb6-de07-03b4-ab7ed013e501"
tenant_id       = "81d960e9-558c-1530-a493-afbb8b64cb58"
client_id       = "0fac27cd-8995-efeb-a903-2050d09c5892"
object_id       = "503e12b4-7fa4-2f93-ceaf-2ffbf3e0b6e9"
