import ApplianceCLI

await ShopifyWhatsAppMain.run()
