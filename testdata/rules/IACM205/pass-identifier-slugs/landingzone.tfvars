# Keys into other maps of the landing zone and names of Key Vault secrets.
storage_account_key    = "diaglogs_region1"
keyvault_client_secret = "aadapp-payments-api-level0"

virtual_machines = {
  vm1 = {
    boot_diagnostics_storage_account_key = "bootdiag_re1"
    # not secret-named variable: a key-like entry is a module input
    keyvault_key = "kv1"
  }
}

diagnostics_destinations = {
  storage = {
    central_logs = {
      storage_account_key = "all_regions_logs"
    }
  }
}
