terraform {
  cloud {
    organization = "acme"
    token        = "tfeeHv0fG2xPVD.atlasv1.8AfOTovYGkYSrIiBSed1S3wlj46Fuq3sXRo5QhgYrZJd6F58LKideRuauiFtEvGjfLg"
    workspaces {
      name = "prod"
    }
  }
}
