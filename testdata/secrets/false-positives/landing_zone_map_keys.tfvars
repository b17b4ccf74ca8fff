virtual_machines = {
  vm1 = {
    boot_diagnostics_storage_account_key = "bootdiag_re1"
    keyvault_key                         = "kv1"
  }
}

cosmosdb_role_mapping = {
  databases = {
    account_key = "cosmosdb_account_re1"
  }
}

storage_account_key = "diaglogs_region1"

# A secret-named map whose entries name things: judged by their own names.
azuread_credentials = {
  test1 = {
    type                          = "password"
    azuread_credential_policy_key = "default_policy"
  }
}

dynamic_keyvault_secrets = {
  host_pool = {
    hostpool-token = {
      secret_name   = "hostpool-token"
      attribute_key = "token"
    }
  }
}

# A password-named entry holding an object: a reference to where the password lives.
vmware_private_clouds = {
  cloud1 = {
    nsxt_password = {
      keyvault_key = "kv_rg1"
      secret_name  = "nsxt-password"
    }
  }
}
