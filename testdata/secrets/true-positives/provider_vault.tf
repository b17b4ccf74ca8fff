provider "vault" {
  address = "https://vault.acme.io:8200"
  token   = "hvs.Huj4cdAEHBW44peEcu8hj28iHoTyXPojkU1ziGrWzY786O6ax82ZsTSYNSN7Gauc6nxICZ5g8Lh12qOq3CpS5Fd7YR"
}
