# Cloud Build decrypts secret_env with the KMS key: the values are ciphertext.
resource "google_cloudbuild_trigger" "deploy" {
  name = "deploy"

  build {
    step {
      name       = "gcr.io/cloud-builders/gcloud"
      secret_env = ["DB_PASSWORD"]
    }

    secret {
      kms_key_name = "projects/acme/locations/global/keyRings/ci/cryptoKeys/build"
      secret_env = {
        DB_PASSWORD = "CiQAzW1dX9rHn3pTq8vK2mLs5BfJ7yGc4NeVa6Ou0ZiEtRgS1xWJQkDnTPl3m8vC"
      }
    }
  }
}

# Names of secrets the app reads from Key Vault: lowercase identifier slugs.
resource "azurerm_linux_function_app" "payments" {
  name                = "payments"
  resource_group_name = "payments"
  location            = "westeurope"
  service_plan_id     = "plan"

  app_settings = {
    KEYVAULT_CLIENT_SECRET = "aadapp-payments-api-level0"
    STORAGE_ACCOUNT_KEY    = "diaglogs_region1"
  }

  site_config {}
}

# Entries of a secret-holding map whose names say nothing keep the word list.
resource "kubernetes_secret" "fixture" {
  metadata {
    name = "fixture"
  }
  data = {
    foo = "bar"
  }
}
