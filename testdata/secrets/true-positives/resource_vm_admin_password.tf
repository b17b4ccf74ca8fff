resource "azurerm_windows_virtual_machine" "jump" {
  name                = "jump-01"
  resource_group_name = "rg-ops"
  location            = "westeurope"
  size                = "Standard_B2s"
  admin_username      = "opsadmin"
  admin_password      = "bpKkxp-3IAcFx!"
  network_interface_ids = [azurerm_network_interface.jump.id]
}
