inputs = {
  team = "platform"
}
