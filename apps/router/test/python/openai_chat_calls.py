"""Calls the router with the official `openai` Python SDK, as a Python app would, and prints what it got as JSON.

Run by openai-chat-surface.python.test.ts, which asserts on the printed values:

    python openai_chat_calls.py <call> <model> <prompt> [extra-body-json]

`call` is one of chat, stream, stream-usage, tools, error. The client reads OPENAI_BASE_URL and OPENAI_API_KEY
like any app; no SDK retries, so a failure the router answered is the one the test sees.
"""

import json
import sys

import openai

HEADERS = ("x-request-id", "x-switchyard-provider", "x-switchyard-model", "x-switchyard-attempts")
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def headers_of(raw):
    return {name: raw.headers.get(name) for name in HEADERS}


def chat(client, model, prompt, extra_body):
    raw = client.chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": prompt}], extra_body=extra_body
    )
    completion = raw.parse()
    choice = completion.choices[0]
    return {
        "content": choice.message.content,
        "finish_reason": choice.finish_reason,
        "usage": completion.usage.model_dump() if completion.usage else None,
        "headers": headers_of(raw),
    }


def stream(client, model, prompt, include_usage):
    options = {"stream_options": {"include_usage": True}} if include_usage else {}
    raw = client.chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": prompt}], stream=True, **options
    )
    deltas, finish_reason, usage = [], None, None
    for chunk in raw.parse():
        if chunk.usage is not None:
            usage = chunk.usage.model_dump()
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        if choice.delta.content:
            deltas.append(choice.delta.content)
        finish_reason = choice.finish_reason or finish_reason
    return {"deltas": deltas, "finish_reason": finish_reason, "usage": usage, "headers": headers_of(raw)}


def tools(client, model):
    ask = [{"role": "user", "content": "Weather in Paris?"}]
    first = client.chat.completions.create(model=model, messages=ask, tools=[WEATHER_TOOL])
    message = first.choices[0].message
    call = message.tool_calls[0]
    second = client.chat.completions.create(
        model=model,
        tools=[WEATHER_TOOL],
        messages=[
            *ask,
            message.model_dump(exclude_none=True),
            {"role": "tool", "tool_call_id": call.id, "content": "sunny-and-21C"},
        ],
    )
    return {
        "first_finish_reason": first.choices[0].finish_reason,
        "call": {"id": call.id, "name": call.function.name, "arguments": call.function.arguments},
        "content": second.choices[0].message.content,
        "finish_reason": second.choices[0].finish_reason,
    }


def error(client, model, prompt):
    try:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": prompt}])
    except openai.APIStatusError as failure:
        return {
            "class": type(failure).__name__,
            "is_not_found": isinstance(failure, openai.NotFoundError),
            "status": failure.status_code,
            "code": failure.code,
            "request_id": failure.request_id,
            "message": failure.message,
        }
    raise SystemExit(f"expected {model} to fail")


def main():
    call, model, prompt = sys.argv[1], sys.argv[2], sys.argv[3]
    extra_body = json.loads(sys.argv[4]) if len(sys.argv) > 4 else None
    client = openai.OpenAI(max_retries=0, timeout=60)
    if call == "chat":
        result = chat(client, model, prompt, extra_body)
    elif call == "stream":
        result = stream(client, model, prompt, include_usage=True)
    elif call == "stream-usage":
        result = stream(client, model, prompt, include_usage=False)
    elif call == "tools":
        result = tools(client, model)
    elif call == "error":
        result = error(client, model, prompt)
    else:
        raise SystemExit(f"unknown call {call}")
    print(json.dumps({"sdk_version": openai.__version__, **result}))


if __name__ == "__main__":
    main()
