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
