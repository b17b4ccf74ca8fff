include "root" {
  path = find_in_parent_folders("root.hcl")
}

inputs = {
  slack_bot = "xoxb-463200382768-6177504386778-SADWcGNkO7rsVT7zvwX1uklY"
}
