locals {
  maps = {
    region = "eu"
    apikey_header = "X-Goog-Api-Key: AIzaFmkkBTDijysfSa5Jhl7LiECB7lavfWXTKTi"
  }
}
