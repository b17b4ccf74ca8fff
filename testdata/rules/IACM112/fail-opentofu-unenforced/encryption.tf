terraform {
  encryption {
    key_provider "aws_kms" "state" {
      kms_key_id = "alias/tfstate"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    method "aes_gcm" "state" {
      keys = key_provider.aws_kms.state
    }
    method "unencrypted" "migrate" {}
    # not enforced: a run without the key provider falls back to plain state
    state {
      method = method.aes_gcm.state
      fallback {
        method = method.unencrypted.migrate
      }
    }
  }
}
