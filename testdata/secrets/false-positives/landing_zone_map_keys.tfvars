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
