from ninja import NinjaAPI

api = NinjaAPI(title="Banshi API", version="1", urls_namespace="api")
