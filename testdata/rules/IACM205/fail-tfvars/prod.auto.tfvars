environment = "prod"
db_password = "PNIl59-vfB06W!"
license     = "iWXeVPioYwT0Yt93nZIH1fh5XdGcAU"
