locals {
  storage_conn = "DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=X1TucHa4ICUusUDad2ynXxvfZbXEddD1LUD0+Dpx2eu66ifrMRe/g5iKq9LYlQR+ZW8dsKZLyVEi/Lm8aUDRwQ==;EndpointSuffix=core.windows.net"
}
