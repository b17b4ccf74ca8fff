terraform {
  source = "${get_repo_root()}/modules/app"
}

inputs = {
  name        = "app"
  db_password = "Zr8v2LqNp4Wx"
}
