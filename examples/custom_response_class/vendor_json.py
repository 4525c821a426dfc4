"""A JSONResponse subclass that sends a vendor media type, set as the app's default."""

# --8<-- [start:app]
from typing import Literal

from fastapi import FastAPI, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class JsonApiResponse(JSONResponse):
    media_type = "application/vnd.api+json"


class Attributes(BaseModel):
    title: str


class Article(BaseModel):
    type: Literal["articles"] = "articles"
    id: str
    attributes: Attributes


class Document(BaseModel):
    data: Article


app = FastAPI(default_response_class=JsonApiResponse)

ARTICLES = {1: {"title": "Dune", "draft_notes": "not for readers"}}


@app.get("/articles/{article_id}")
def read_article(article_id: int = Path(ge=1, le=1_000_000)) -> Document:
    article = ARTICLES.get(article_id)
    if article is None:
        return JsonApiResponse(
            {"errors": [{"status": "404", "title": "No such article"}]},
            status_code=404,
        )
    return {"data": {"id": str(article_id), "attributes": article}}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import json

    from fastapi.testclient import TestClient

    client = TestClient(app)

    found = client.get("/articles/1")
    print(found.status_code, found.headers["content-type"])
    #> 200 application/vnd.api+json
    print(found.text)
    #> {"data":{"type":"articles","id":"1","attributes":{"title":"Dune"}}}

    missing = client.get("/articles/2")
    print(missing.status_code, missing.headers["content-type"])
    #> 404 application/vnd.api+json
    print(missing.text)
    #> {"errors":[{"status":"404","title":"No such article"}]}

    invalid = client.get("/articles/abc")
    print(invalid.status_code, invalid.headers["content-type"])
    #> 422 application/json

    answers = app.openapi()["paths"]["/articles/{article_id}"]["get"]["responses"]
    print(json.dumps(answers["200"]["content"]))
    """
    {"application/vnd.api+json": {"schema": {"$ref": "#/components/schemas/Document"}}}
    """
    # --8<-- [end:try_it]
