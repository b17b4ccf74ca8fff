resource "azurerm_role_assignment" "kv" {
  scope                = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/acme-kv"
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
