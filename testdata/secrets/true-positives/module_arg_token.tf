module "runner" {
  source        = "./modules/runner"
  name          = "ci"
  registration  = "glpat-5Zzjhe3p1g1aKfux6fX1"
}
