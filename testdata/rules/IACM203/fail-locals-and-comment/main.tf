locals {
  registry_url = "https://ci-bot:X5LyUQOnc3ryOqEy@registry.acme.io/v2"
  bot          = "xoxb-463200382768-6177504386778-SADWcGNkO7rsVT7zvwX1uklY"
}

# rotated 2024-03; old key AKIAEUWXIL12XSH5D74I
module "runner" {
  source = "./modules/runner"
  token  = "glpat-P58TVA7bs-sDEiN_OjJn"
}
