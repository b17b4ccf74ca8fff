unit "service" {
  source = "github.com/acme/catalog//units/service?ref=v1.0.0"
  path   = "service"
}
