app_settings = {
  WEBSITE_RUN_FROM_PACKAGE = "1"
  API_TOKEN                = "@Microsoft.KeyVault(SecretUri=https://kv-api-prod.vault.azure.net/secrets/api-token/)"
  REDIS_PASSWORD           = "@Microsoft.KeyVault(VaultName=kv-api-prod;SecretName=redis-password)"
  DB_PASSWORD_ARN          = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"
  SMTP_PASSWORD            = "arn:aws:ssm:eu-west-1:111122223333:parameter/api/smtp-password"
}
