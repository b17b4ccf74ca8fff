inputs = {
  name = "app"
}
