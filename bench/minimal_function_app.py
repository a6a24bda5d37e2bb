"""The denominator of the import goal: a minimal app on BestDev's stack, as small as such an app gets. Settings read
with pydantic-settings, a FastAPI app with one POST route taking a pydantic body (building it imports pydantic.v1,
as every FastAPI route with a model does), wrapped in the Functions ASGI adapter. `bench cold_start` times
`import bench.minimal_function_app` against `import function_app`."""

import azure.functions as func
from fastapi import FastAPI
from pydantic import BaseModel
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    name: str = "minimal"


class Body(BaseModel):
    text: str


settings = Settings()
api = FastAPI()


@api.post("/echo")
async def echo(body: Body) -> Body:
    return body


app = func.AsgiFunctionApp(app=api, http_auth_level=func.AuthLevel.ANONYMOUS)
